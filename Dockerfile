# syntax=docker/dockerfile:1
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -q dependency:go-offline
COPY src src
RUN ./mvnw -q -DskipTests package && cp target/statehouse-*.jar /statehouse.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 statehouse \
 && useradd --system --uid 10001 --gid statehouse --home-dir /data --shell /usr/sbin/nologin statehouse \
 && mkdir -p /data && chown statehouse:statehouse /data
COPY --from=build /statehouse.jar /app/statehouse.jar
ENV STATEHOUSE_STORAGE_PATH=/data/state.db \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/data"]
EXPOSE 8080
USER 10001:10001
WORKDIR /data
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/statehouse.jar"]
