# constraint: sh:SPARQLConstraintComponent severity: Violation
DELETE { ?d planlod:count ?c } INSERT { ?d planlod:count "5"^^xsd:nonNegativeInteger }
WHERE { ?d a planlod:DeclaredCount ; planlod:summaryTable "by-goal" ; planlod:printedLabel "達成"@ja ; planlod:count ?c }
