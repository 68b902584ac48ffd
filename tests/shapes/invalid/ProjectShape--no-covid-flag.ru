# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE { ?p planlod:covidAffected ?x } WHERE { ?p a planlod:Project ; planlod:covidAffected ?x }
