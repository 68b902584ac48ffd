# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE { ?r planlod:plan ?p } WHERE { ?r a planlod:ProgressReport ; planlod:plan ?p }
