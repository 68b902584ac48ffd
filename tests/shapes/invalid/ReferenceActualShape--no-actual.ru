# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE { ?e planlod:actual ?a } WHERE { ?e a planlod:ReferenceActual ; planlod:sourceLine "37"^^xsd:positiveInteger ; planlod:actual ?a }
