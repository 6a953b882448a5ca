retention = 14
encrypted = true
