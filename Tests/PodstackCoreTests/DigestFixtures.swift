import PodstackCompose

/// Services whose config hashes are pinned: every field of the model set (`rich`), and the least a file can
/// say (`bare`). Changing either changes the pinned hashes, so leave them as they are and add new ones.
enum DigestFixtures {
    static let here = SourceLocation(file: "compose.yml", line: 3, column: 5)

    static let rich = ServiceDefinition(
        name: "db", podName: "shop", image: "docker.io/library/postgres:16", imageVariable: "DB_IMAGE",
        command: ["postgres", "-c", "fsync=off"], entrypoint: ["/entry.sh"],
        environment: ["POSTGRES_DB": "shop", "TZ": "UTC"],
        ports: [
            PortMapping(hostPort: 5432, containerPort: 5432, hostPortVariable: "DB_PORT", location: here),
            PortMapping(hostIP: "0.0.0.0", hostPort: 9187, containerPort: 9187, protocol: .udp, location: here),
        ],
        mounts: [
            .bind(source: "/srv/shop/db", target: "/var/lib/postgresql/data", readOnly: false, selinux: .private),
            .bind(source: "/srv/shop/conf", target: "/etc/pg", readOnly: true, selinux: nil),
            .volume(name: "shop_cache", target: "/cache", readOnly: true),
        ],
        dependsOn: [
            Dependency(service: "vault", condition: .healthy),
            Dependency(service: "seed", condition: .completedSuccessfully, required: false),
        ],
        healthcheck: HealthCheck(
            test: ["CMD-SHELL", "pg_isready -U postgres"], intervalSeconds: 10, timeoutSeconds: 2.5,
            startPeriodSeconds: 30, retries: 5),
        restart: .onFailure(maxRetries: 3), labels: ["team": "data", "tier": "backend"], user: "999:999",
        workingDir: "/var/lib/postgresql", stopSignal: "SIGINT", stopGracePeriodSeconds: 30,
        secrets: [
            SecretReference(source: "db_password", uid: "999", gid: "999", mode: 0o400),
            SecretReference(source: "tls", target: "/etc/tls/key.pem"),
        ],
        profiles: ["prod", "db"], location: here)

    static let bare = ServiceDefinition(name: "web", podName: "shop", image: "nginx", location: here)

    static let noHealth = ServiceDefinition(
        name: "worker", podName: "shop", image: "busybox", command: ["sleep", "infinity"],
        healthcheckDisabled: true, restart: .unlessStopped, location: here)
}
