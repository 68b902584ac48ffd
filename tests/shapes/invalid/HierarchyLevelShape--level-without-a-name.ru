# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE { ?level skos:prefLabel ?name }
WHERE { ?plan planlod:hierarchyLevel ?level . ?level skos:prefLabel ?name }
