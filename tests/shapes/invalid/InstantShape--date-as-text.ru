# constraint: sh:DatatypeConstraintComponent severity: Violation
DELETE { <date/2020-04-01> time:inXSDDate ?d } INSERT { <date/2020-04-01> time:inXSDDate "2020-04-01" } WHERE { <date/2020-04-01> time:inXSDDate ?d }
