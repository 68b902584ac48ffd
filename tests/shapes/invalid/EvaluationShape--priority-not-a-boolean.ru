# constraint: sh:DatatypeConstraintComponent severity: Violation
INSERT { ?e planlod:priority "重点"@ja }
WHERE { ?e a planlod:Evaluation ; planlod:sourceLine "37"^^xsd:positiveInteger }
