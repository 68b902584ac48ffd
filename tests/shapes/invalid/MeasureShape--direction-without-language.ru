# constraint: sh:DatatypeConstraintComponent severity: Violation
INSERT DATA { <plan/141305/test-plan/goal/I/policy/1/measure/1> planlod:directionText "no language" }
