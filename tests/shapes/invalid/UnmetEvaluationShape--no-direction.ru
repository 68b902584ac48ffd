# constraint: sh:SPARQLConstraintComponent severity: Warning
DELETE { ?e planlod:issuesAndDirection ?d } WHERE { ?e a planlod:Evaluation ; planlod:issuesAndDirection ?d }
