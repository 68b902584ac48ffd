# constraint: sh:XoneConstraintComponent severity: Violation
INSERT { ?q schema:value 6.0 } WHERE { ?q schema:minValue ?m }
