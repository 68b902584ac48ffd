# constraint: sh:MinCountConstraintComponent severity: Warning
DELETE { ?e planlod:actual ?a } WHERE { ?e a planlod:Evaluation ; planlod:sourceLine "39"^^xsd:positiveInteger ; planlod:actual ?a }
