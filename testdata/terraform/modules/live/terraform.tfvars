reporting_public = true # expect: NET-001
