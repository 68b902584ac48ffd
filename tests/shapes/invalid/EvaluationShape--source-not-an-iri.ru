# constraint: sh:NodeKindConstraintComponent severity: Violation
INSERT { ?e dct:source "https://www.city.example.jp/page.html" }
WHERE { ?e a planlod:Evaluation ; planlod:sourceLine "37"^^xsd:positiveInteger }
