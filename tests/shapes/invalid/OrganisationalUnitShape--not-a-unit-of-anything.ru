# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE WHERE { <org/141305/chiiki-ka> org:unitOf ?o }
