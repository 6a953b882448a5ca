import * as aws from "@pulumi/aws";

// An insecure database: every line below is what a reviewer sees.
const key = new aws.kms.Key("db-encryption-key", {
    description: "CMK for database encryption",
    enableKeyRotation: false,
});

export const db = new aws.rds.Instance("legacy-postgres", {
    engine: "postgres",
    engineVersion: "14.10",
    instanceClass: "db.t3.medium",
    storageEncrypted: false,
    publiclyAccessible: true,
    username: "postgres",
    password: "hunter2hunter2",
});
