# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE { ?e planlod:referenceActual ?a } WHERE { ?e a planlod:ReferenceActual ; planlod:sourceLine "37"^^xsd:positiveInteger ; planlod:referenceActual ?a }
