retention = 3 # expect: BAK-001
