# constraint: sh:ClassConstraintComponent severity: Violation
DELETE { ?a planlod:responsibleUnit ?u } INSERT { ?a planlod:responsibleUnit <plan/141305/test-plan/goal/I> }
WHERE { ?a a planlod:Activity ; skos:notation "I-1-1-1-1" ; planlod:responsibleUnit ?u }
