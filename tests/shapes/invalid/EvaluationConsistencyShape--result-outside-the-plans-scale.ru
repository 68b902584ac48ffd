# constraint: sh:SPARQLConstraintComponent severity: Violation
DELETE { ?e planlod:result ?r } INSERT { ?e planlod:result planlod:met }
WHERE { ?e a planlod:Evaluation ; planlod:sourceLine "37"^^xsd:positiveInteger ; planlod:result ?r }
