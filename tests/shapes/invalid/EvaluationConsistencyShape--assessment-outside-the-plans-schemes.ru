# constraint: sh:SPARQLConstraintComponent severity: Violation
INSERT { ?e planlod:assessment ?r }
WHERE { ?e a planlod:Evaluation ; planlod:sourceLine "37"^^xsd:positiveInteger ; planlod:result ?r }
