import Foundation
import Testing
@testable import Runtime

/// deploy/prometheus and deploy/grafana: alerts that promtool accepts and that fire
/// on the series they are written for, over metrics gatewayd really exports.
@Suite("Monitoring")
struct MonitoringTests {
    @Test("promtool accepts the alert rules, and each alert fires (and stays quiet) as its unit test says",
          .enabled(if: installed("promtool"), "promtool is not installed (.ci/run installs the prometheus package)"))
    func promtool() throws {
        let check = try run(["promtool", "check", "rules", "gateway-alerts.yaml"], in: "deploy/prometheus")
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("SUCCESS: 6 rules found"))
        let tests = try run(["promtool", "test", "rules", "gateway-alerts.test.yaml"], in: "deploy/prometheus")
        #expect(tests.status == 0, "\(tests.output)")
    }

    @Test("the rules cover the error rate, p99 latency, unhealthy upstreams, rate-limit surges, failed reloads and the limit store")
    func coverage() {
        let rules = text("deploy/prometheus/gateway-alerts.yaml")
        for alert in ["GatewayHighErrorRate", "GatewayHighLatencyP99", "GatewayUpstreamUnhealthy", "GatewayRateLimitSurge",
                      "GatewayArtifactReloadFailed", "GatewayRateLimitStoreDown"] {
            #expect(rules.contains("alert: \(alert)"), "\(alert)")
            #expect(text("deploy/prometheus/gateway-alerts.test.yaml").contains("alertname: \(alert)"), "\(alert) has no unit test")
        }
    }

    /// `gateway_...` names in a text, histogram series folded into their metric.
    func metricNames(_ text: String) -> Set<String> {
        let pattern = /gateway_[a-z_]+/
        return Set(text.matches(of: pattern).map { match in
            var name = String(match.output)
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) { name = String(name.dropLast(suffix.count)) }
            return name
        })
    }

    @Test("alerts and dashboard use only metrics gatewayd exports, and the dashboard shows every signal the alerts watch")
    func metricsExist() throws {
        let exported = Set(GatewayMetrics.help.keys)
        let alerts = metricNames(text("deploy/prometheus/gateway-alerts.yaml"))
        let dashboardText = text("deploy/grafana/gateway-dashboard.json")
        let dashboard = metricNames(dashboardText)
        #expect(alerts.subtracting(exported).isEmpty, "unknown in the alerts: \(alerts.subtracting(exported).sorted())")
        #expect(dashboard.subtracting(exported).isEmpty, "unknown in the dashboard: \(dashboard.subtracting(exported).sorted())")
        #expect(alerts.subtracting(dashboard).isEmpty, "alerted on but not on the dashboard: \(alerts.subtracting(dashboard).sorted())")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dashboardText.utf8)) as? [String: Any])
        let panels = try #require(json["panels"] as? [[String: Any]])
        #expect(json["uid"] as? String == "forex-gateway")
        for panel in panels {
            let targets = panel["targets"] as? [[String: Any]] ?? []
            #expect(!targets.isEmpty && targets.allSatisfy { ($0["expr"] as? String)?.isEmpty == false }, "\(panel["title"] ?? "?")")
        }
    }
}
