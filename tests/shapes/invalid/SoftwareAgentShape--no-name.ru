# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE { ?agent rdfs:label ?name } WHERE { ?agent a prov:SoftwareAgent ; rdfs:label ?name }
