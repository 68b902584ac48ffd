# constraint: sh:SPARQLConstraintComponent severity: Violation
DELETE { ?p skos:notation ?n } INSERT { ?p skos:notation "1" } WHERE { ?p a planlod:Policy ; skos:notation ?n }
