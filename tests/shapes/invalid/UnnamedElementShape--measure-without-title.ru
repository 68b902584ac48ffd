# constraint: sh:MinCountConstraintComponent severity: Warning
DELETE { ?m skos:prefLabel ?l } WHERE { ?m a planlod:Measure ; skos:prefLabel ?l }
