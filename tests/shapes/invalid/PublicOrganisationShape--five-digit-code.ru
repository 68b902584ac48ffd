# constraint: sh:PatternConstraintComponent severity: Violation
DELETE { <org/141305> dct:identifier ?i } INSERT { <org/141305> dct:identifier "14130" } WHERE { <org/141305> dct:identifier ?i }
