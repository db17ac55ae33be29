# syntax=docker/dockerfile:1
# gatewayd and one compiled artifact, nothing else: the specs are validated, tested
# and compiled in the build stage; the runtime image holds the binary (Swift's
# libraries linked in statically), the artifact, and the two system libraries it
# needs. No YAML parser, no compiler, no shell tools beyond Debian's slim base.
#
#   docker build -t forex-gateway .
#   docker run -p 8080:8080 -p 9090:9090 -v "$PWD/secrets:/etc/gateway/secrets:ro" \
#     -e FOREX_API_KEY_PEPPER=... forex-gateway
#
# Sign the artifact by passing the key as a build secret:
#   docker build --secret id=sign-key,src=signing.pem -t forex-gateway .

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libyaml-dev libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a change to the specs or sources reuses their layer.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
COPY specs ./specs
COPY golden ./golden
# Without Swift's run-time exclusivity checks (14% of gatewayd's CPU per request, most
# of it in SwiftNIO's channel code), and optimized as one program at link time (LTO:
# 9% fewer instructions, mostly SwiftNIO's small calls across modules); docs/server.md,
# "Cost". The debug builds that run the tests keep the checks, and the compiler's static
# checks stay on. The proxy benchmarks build with the same flags (a test compares them).
ARG SWIFT_RELEASE_FLAGS="-Xswiftc -enforce-exclusivity=unchecked --experimental-lto-mode=full"
RUN swift build -c release --product gateway $SWIFT_RELEASE_FLAGS \
    && swift build -c release --product gatewayd --static-swift-stdlib $SWIFT_RELEASE_FLAGS
# The gate CI applies: valid specs, every golden case green, full coverage.
RUN .build/release/gateway validate specs && .build/release/gateway test --min-coverage 100
RUN --mount=type=secret,id=sign-key,required=false \
    mkdir -p /out \
    && if [ -s /run/secrets/sign-key ]; then sign="--sign-key file:/run/secrets/sign-key"; else sign=""; fi \
    && .build/release/gateway compile specs -o /out/gateway.gwc $sign \
    && cp .build/release/gatewayd /out/gatewayd \
    && strip /out/gatewayd

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl3 libstdc++6 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 gateway \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin gateway
COPY --from=build /out/gatewayd /usr/local/bin/gatewayd
COPY --from=build /out/gateway.gwc /etc/gateway/artifact/gateway.gwc
# Relative file: references in the specs (keys/sso-jwks.json, keys/api-keys.json)
# are read from here; mount them, never bake them in.
ENV GATEWAY_ARTIFACT=/etc/gateway/artifact/gateway.gwc \
    GATEWAY_SECRETS_DIR=/etc/gateway/secrets \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8080 \
    GATEWAY_ADMIN_HOST=0.0.0.0 \
    GATEWAY_ADMIN_PORT=9090
USER 10001:10001
EXPOSE 8080 9090
ENTRYPOINT ["/usr/local/bin/gatewayd"]
