# constraint: sh:PatternConstraintComponent severity: Violation
DELETE { <fiscal-year/2020> dcat:startDate ?d } INSERT { <fiscal-year/2020> dcat:startDate "2020-01-01"^^xsd:date }
WHERE { <fiscal-year/2020> dcat:startDate ?d }
