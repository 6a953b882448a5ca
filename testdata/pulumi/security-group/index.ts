import * as aws from "@pulumi/aws";

const sg = new aws.ec2.SecurityGroup("db-sg", {
    ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }],
});

export const db = new aws.rds.Instance("orders", {
    engine: "postgres",
    vpcSecurityGroupIds: [sg.id],
});
