# constraint: sh:SPARQLConstraintComponent severity: Warning
DELETE WHERE { <plan/141305/test-plan/scale/achieved> skos:exactMatch ?p }
