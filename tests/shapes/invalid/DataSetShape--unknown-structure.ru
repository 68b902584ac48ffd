# constraint: sh:InConstraintComponent severity: Violation
DELETE { ?d qb:structure ?s } INSERT { ?d qb:structure <urn:some-other-structure> } WHERE { ?d a qb:DataSet ; qb:structure ?s ; rdfs:label "公表された集計"@ja }
