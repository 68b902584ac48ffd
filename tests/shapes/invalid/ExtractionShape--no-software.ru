# constraint: sh:MinCountConstraintComponent severity: Violation
DELETE { ?run prov:wasAssociatedWith ?agent } WHERE { ?run a prov:Activity ; prov:wasAssociatedWith ?agent }
