# syntax=docker/dockerfile:1
# Build: docker build -t bulk-loader .
# Run:   docker run -p 8080:8080 -p 8081:8081 -e SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/app \
#          -e SPRING_DATASOURCE_USERNAME=loader -e SPRING_DATASOURCE_PASSWORD=... bulk-loader

FROM eclipse-temurin:25.0.1_8-jdk-noble AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -DskipTests package \
 && java -Djarmode=tools -jar target/bulk-loader.jar extract --layers --destination /layers \
      --application-filename application.jar

FROM eclipse-temurin:25.0.1_8-jre-noble AS runtime
WORKDIR /app
# dependencies change least often, the application most: one image layer each, in that order
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# the API on 8080; /actuator (prometheus, health) on the management port 8081, as in the Helm chart. An
# OutOfMemoryError ends the process (the orchestrator restarts it) instead of leaving it alive and deaf
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    MANAGEMENT_SERVER_PORT=8081 \
    LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs

# AOT cache training run (JDK 25): the service, started on the runtime stage's own JVM and files, loads every
# format, mode and method (with skip and abort meeting rejected rows) into a throw-away PostgreSQL through its own
# port, then exits; the cache holds the classes it loaded and linked and the method profiles of those loads, so
# the JIT starts with them. PostgreSQL is installed in this stage only: the image gets the cache, nothing else
FROM runtime AS training
COPY src/main/docker/train-aot-cache.sh /tmp/train-aot-cache.sh
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql \
 && sh /tmp/train-aot-cache.sh /app/application.aot

FROM runtime
COPY --from=training /app/application.aot /app/application.aot
USER 10001:10001
EXPOSE 8080 8081
ENTRYPOINT ["java", "-XX:AOTCache=/app/application.aot", "-jar", "application.jar"]
