# constraint: sh:PatternConstraintComponent severity: Violation
DELETE { ?source planlod:sha256 ?h } INSERT { ?source planlod:sha256 "abc123"^^xsd:hexBinary } WHERE { ?source planlod:sha256 ?h }
