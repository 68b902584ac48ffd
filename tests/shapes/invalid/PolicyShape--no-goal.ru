# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE { ?p skos:broader ?g } WHERE { ?p a planlod:Policy ; skos:broader ?g }
