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

FROM eclipse-temurin:25.0.1_8-jre-noble
WORKDIR /app
# dependencies change least often, the application most: one image layer each, in that order
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# AOT cache training run: start the context without a database (Flyway off, no pool connection
# at start), exit after refresh, keep the class loading and linking it did for every later start; an API-key
# digest no key has (all zeros) lets the security chain start and train without accepting anyone
RUN java -XX:AOTCacheOutput=/app/application.aot -Dspring.context.exit=onRefresh \
      -Dspring.flyway.enabled=false -Dspring.datasource.url=jdbc:postgresql://localhost:1/training \
      -Dspring.datasource.hikari.initialization-fail-timeout=-1 \
      "-Dbulkload.security.api-keys[0].name=training" \
      "-Dbulkload.security.api-keys[0].sha256=0000000000000000000000000000000000000000000000000000000000000000" \
      -jar application.jar
# the API on 8080; /actuator (prometheus, health) on the management port 8081, as in the Helm chart. An
# OutOfMemoryError ends the process (the orchestrator restarts it) instead of leaving it alive and deaf
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    MANAGEMENT_SERVER_PORT=8081 \
    LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs
USER 10001:10001
EXPOSE 8080 8081
ENTRYPOINT ["java", "-XX:AOTCache=/app/application.aot", "-jar", "application.jar"]
