# constraint: sh:MinCountConstraintComponent severity: Info
DELETE { ?a skos:prefLabel ?l } WHERE { ?a a planlod:Activity ; skos:notation "I-1-1-1-1" ; skos:prefLabel ?l }
