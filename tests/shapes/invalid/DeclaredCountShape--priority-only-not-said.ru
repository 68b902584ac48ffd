# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE { ?d planlod:priorityOnly ?p }
WHERE { ?d a planlod:DeclaredCount ; planlod:priorityOnly ?p }
