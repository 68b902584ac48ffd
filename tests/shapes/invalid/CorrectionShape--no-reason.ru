# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE { ?c rdfs:comment ?why } WHERE { ?c a planlod:Correction ; rdfs:comment ?why }
