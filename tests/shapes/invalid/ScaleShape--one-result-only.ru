# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE WHERE { <plan/141305/test-plan/scale> skos:hasTopConcept <plan/141305/test-plan/scale/achieved> }
