# syntax=docker/dockerfile:1
# docker build -t statehouse:0.1.0-SNAPSHOT .   (the tag compose and deploy/kubernetes run)
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -q dependency:go-offline
COPY src src
RUN ./mvnw -q -DskipTests package && cp target/statehouse-*.jar /application.jar
# Boot's layered jar: dependencies change rarely, the application often; each is a layer of its own
RUN java -Djarmode=tools -jar /application.jar extract --layers --destination /extracted

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 statehouse \
 && useradd --system --uid 10001 --gid statehouse --home-dir /data --shell /usr/sbin/nologin statehouse \
 && mkdir -p /data && chown statehouse:statehouse /data
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
ENV STATEHOUSE_STORAGE_PATH=/data/state.db \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/data"]
EXPOSE 8080
USER 10001:10001
# the defaults are relative (./data/state.db, ./data/resources, ./data/checkpoints, ./data/backups,
# ./data/api-token.sha256): from / they all land in the volume, none under /data/data
WORKDIR /
# the API port's liveness (with MANAGEMENT_SERVER_PORT set, compose and Kubernetes probe that port instead)
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://localhost:${MANAGEMENT_SERVER_PORT:-8080}/actuator/health/liveness" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/application.jar"]
