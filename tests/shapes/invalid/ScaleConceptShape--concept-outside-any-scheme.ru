# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE WHERE { <plan/141305/test-plan/scale/achieved> skos:inScheme ?s }
