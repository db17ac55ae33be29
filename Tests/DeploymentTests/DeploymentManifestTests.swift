import Foundation
import GatewayDSL
import Testing

/// Dockerfile, deploy/kubernetes and the CI example: what a platform team expects of
/// them, read from the files themselves.
@Suite("Deployment manifests")
struct DeploymentManifestTests {
    let folder = "deploy/kubernetes"

    func manifests() -> [YAMLNode] {
        ["deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml", "redis.yaml"].flatMap { documents("\(folder)/\($0)") }
    }

    func object(_ kind: String, _ name: String) -> YAMLNode? {
        manifests().first { $0["kind"]?.string == kind && $0.at("metadata.name")?.string == name }
    }

    @Test("the kustomization lists every manifest and generates the artifact ConfigMap from gateway.gwc")
    func kustomization() throws {
        let kustomization = try #require(documents("\(folder)/kustomization.yaml").first)
        let listed = Set(kustomization["resources"]?.items.compactMap(\.string) ?? [])
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent(folder).path)
            .filter { $0.hasSuffix(".yaml") && $0 != "kustomization.yaml" })
        #expect(listed == present)
        #expect(kustomization.at("configMapGenerator")?[0]?["name"]?.string == "gateway-artifact")
        #expect(manifests().count == 7, "every document parses")
    }

    @Test("the Deployment: probes on the admin port, non-root with a read-only root, spread across zones, resources, the artifact where it is mounted")
    func deployment() throws {
        let deployment = try #require(object("Deployment", "forex-gateway"))
        let pod = try #require(deployment.at("spec.template.spec"))
        let container = try #require(pod["containers"]?[0])
        #expect(container.at("readinessProbe.httpGet.path")?.string == "/readyz")
        #expect(container.at("livenessProbe.httpGet.path")?.string == "/healthz")
        #expect(container.at("readinessProbe.httpGet.port")?.string == "admin")
        #expect(container["ports"]?.items.contains { $0["name"]?.string == "admin" && $0["containerPort"]?.string == "9090" } == true)
        let env = Dictionary(uniqueKeysWithValues: (container["env"]?.items ?? []).compactMap { item in
            item["name"]?.string.map { ($0, item["value"]?.string ?? "") }
        })
        #expect(env["GATEWAY_ADMIN_HOST"] == "0.0.0.0", "probes come from outside the pod")
        #expect(pod.at("securityContext.runAsNonRoot")?.string == "true")
        #expect(container.at("securityContext.readOnlyRootFilesystem")?.string == "true")
        let spread = pod["topologySpreadConstraints"]?.items.compactMap { $0["topologyKey"]?.string } ?? []
        #expect(spread.contains("topology.kubernetes.io/zone"))
        #expect(container.at("resources.requests.cpu") != nil && container.at("resources.requests.memory") != nil)
        let artifactArgument = container["args"]?.items.compactMap(\.string).first { $0.hasPrefix("--artifact=") }
        let mount = container["volumeMounts"]?.items.first { $0["name"]?.string == "artifact" }?["mountPath"]?.string
        #expect(artifactArgument == "--artifact=\(mount ?? "?")/gateway.gwc")
        #expect(pod["volumes"]?.items.first { $0["name"]?.string == "artifact" }?.at("configMap.name")?.string == "gateway-artifact")
    }

    @Test("the Service, the HPA, the PDB and Redis fit the Deployment and each other")
    func companions() throws {
        let labels = try #require(object("Deployment", "forex-gateway")?.at("spec.template.metadata.labels"))
        let app = labels["app.kubernetes.io/name"]?.string
        #expect(object("Service", "forex-gateway")?.at("spec.selector")?["app.kubernetes.io/name"]?.string == app)
        #expect(object("PodDisruptionBudget", "forex-gateway")?.at("spec.selector.matchLabels")?["app.kubernetes.io/name"]?.string == app)
        #expect(object("HorizontalPodAutoscaler", "forex-gateway")?.at("spec.scaleTargetRef.name")?.string == "forex-gateway")
        let minimum = Int(object("HorizontalPodAutoscaler", "forex-gateway")?.at("spec.minReplicas")?.string ?? "") ?? 0
        let available = Int(object("PodDisruptionBudget", "forex-gateway")?.at("spec.minAvailable")?.string ?? "") ?? 99
        #expect(available < minimum, "a drain must be able to evict a pod at the HPA's minimum")
        let store = object("Deployment", "forex-gateway")?.at("spec.template.spec")?["containers"]?[0]?["env"]?.items
            .first { $0["name"]?.string == "GATEWAY_RATE_LIMIT_STORE" }?["value"]?.string
        let redisService = try #require(object("Service", "forex-gateway-redis"))
        #expect(store == "redis://forex-gateway-redis:\(redisService.at("spec")?["ports"]?[0]?["port"]?.string ?? "?")")
        #expect(object("Deployment", "forex-gateway-redis") != nil)
    }

    @Test("the Dockerfile builds in one stage and runs gatewayd and the artifact alone, as a non-root user, in another")
    func dockerfile() {
        let lines = text("Dockerfile").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let stages = lines.filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2 && stages[0].hasSuffix(" AS build"))
        let runtime = lines.drop { !$0.hasPrefix("FROM ${RUNTIME_IMAGE}") }
        let copies = runtime.filter { $0.hasPrefix("COPY") }
        #expect(copies == ["COPY --from=build /out/gatewayd /usr/local/bin/gatewayd",
                           "COPY --from=build /out/gateway.gwc /etc/gateway/artifact/gateway.gwc"])
        #expect(runtime.contains("USER 10001:10001"))
        #expect(runtime.contains(#"ENTRYPOINT ["/usr/local/bin/gatewayd"]"#))
        #expect(lines.contains { $0.contains("--static-swift-stdlib") })
        #expect(lines.contains { $0.contains("gateway test --min-coverage 100") })
    }

    @Test("the benchmarks build gatewayd with the Dockerfile's release flags: what is measured is what ships")
    func releaseFlags() {
        func quoted(_ file: String, after prefix: String) -> String? {
            guard let line = text(file).split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
                  let open = line.firstIndex(of: "\"") else { return nil }
            let rest = line[line.index(after: open)...]
            return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
        }
        func defaulted(_ file: String, _ variable: String) -> String? {
            guard let line = text(file).split(separator: "\n").first(where: { $0.hasPrefix("\(variable)=${\(variable)-") }) else { return nil }
            return String(line.dropFirst("\(variable)=${\(variable)-".count).dropLast())
        }
        let dockerfile = quoted("Dockerfile", after: "ARG SWIFT_RELEASE_FLAGS=")
        #expect(dockerfile?.contains("-enforce-exclusivity=unchecked") == true)
        #expect(dockerfile?.contains("--experimental-lto-mode=full") == true)
        #expect(defaulted("Benchmarks/proxy/common.sh", "RELEASE_FLAGS") == dockerfile)
    }

    @Test("the CI example validates, gates on golden coverage, then compiles, signs and publishes")
    func ciExample() throws {
        let workflow = try #require(documents("deploy/ci/github-actions.yml").first)
        let steps = (workflow.at("jobs.check.steps")?.items ?? []) + (workflow.at("jobs.publish.steps")?.items ?? [])
        let commands = steps.compactMap { $0["run"]?.string }.joined(separator: "\n")
        #expect(commands.contains("gateway validate specs"))
        #expect(commands.contains("gateway test --min-coverage 100"))
        #expect(commands.contains("gateway compile specs -o build/gateway.gwc --sign-key env:GATEWAY_SIGNING_KEY"))
        #expect(workflow.at("jobs.publish.needs")?.string == "check")
        #expect(steps.contains { $0["uses"]?.string?.hasPrefix("actions/upload-artifact") == true })
    }
}
