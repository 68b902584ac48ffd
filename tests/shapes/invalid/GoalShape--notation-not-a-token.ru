# constraint: sh:PatternConstraintComponent severity: Violation
DELETE { ?g skos:notation ?n } INSERT { ?g skos:notation "第1" } WHERE { ?g a planlod:Goal ; skos:notation ?n }
