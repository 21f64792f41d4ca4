package dev.sluice.tests;

import dev.sluice.local.FlinkRest;
import dev.sluice.local.FreePort;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Flink session cluster of real processes: one JobManager JVM and TaskManager JVMs started from
 * the lib/ that {@code sluice-cluster} assembles (Flink's runtime, no Sluice classes), on 127.0.0.1
 * with ports of their own. What the tests submit reaches it only through its REST API, as on a
 * production cluster. Logs go to {@code <dir>/log}; a failing test prints their tails.
 */
final class FlinkProcessCluster implements AutoCloseable {

    private static final String JOB_MANAGER =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    /**
     * What a Flink distribution's {@code env.java.default-opts.all} gives every JVM on Java 17:
     * Flink's runtime reflects into these JDK packages.
     */
    private static final List<String> JDK_OPENS =
            List.of(
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Path dir;
    private final Path conf;
    private final String classpath;
    private final int restPort;
    private final Process jobManager;
    private final List<Process> taskManagers = new ArrayList<>();
    private final List<Integer> metricsPorts = new ArrayList<>();
    private final Set<Integer> killed = new HashSet<>();

    private FlinkProcessCluster(Path dir, Map<String, String> settings) throws IOException {
        this.dir = dir;
        this.conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("log"));
        this.classpath = RepositoryPaths.flinkLib() + "/*";
        this.restPort = FreePort.pick();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("jobmanager.rpc.address", "127.0.0.1");
        all.put("jobmanager.rpc.port", Integer.toString(FreePort.pick()));
        all.put("jobmanager.bind-host", "127.0.0.1");
        all.put("rest.address", "127.0.0.1");
        all.put("rest.bind-address", "127.0.0.1");
        all.put("rest.port", Integer.toString(restPort));
        all.put("taskmanager.host", "127.0.0.1");
        all.put("taskmanager.bind-host", "127.0.0.1");
        all.put("jobmanager.memory.process.size", "768m");
        // Flink's start scripts compute these for a TaskManager and pass them as dynamic
        // properties; started directly, it needs them set, and the JVM flags below match them.
        all.put("taskmanager.cpu.cores", "1");
        all.put("taskmanager.memory.task.off-heap.size", "0m");
        all.put("taskmanager.memory.framework.heap.size", "128m");
        all.put("taskmanager.memory.framework.off-heap.size", "128m");
        all.put("taskmanager.memory.task.heap.size", "256m");
        all.put("taskmanager.memory.managed.size", "128m");
        all.put("taskmanager.memory.network.min", "64m");
        all.put("taskmanager.memory.network.max", "64m");
        all.put("taskmanager.memory.jvm-metaspace.size", "256m");
        all.put("taskmanager.memory.jvm-overhead.min", "192m");
        all.put("taskmanager.memory.jvm-overhead.max", "192m");
        all.put("web.upload.dir", dir.resolve("uploads").toString());
        all.put("io.tmp.dirs", dir.resolve("tmp").toString());
        all.putAll(settings);
        StringBuilder yaml = new StringBuilder();
        all.forEach((k, v) -> yaml.append(k).append(": \"").append(v).append("\"\n"));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        Files.writeString(
                conf.resolve("log4j.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = file",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.fileName = ${sys:log.file}",
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} [%t] %m%n",
                        ""));
        this.jobManager = launch("jobmanager", JOB_MANAGER, "-Xmx384m");
    }

    /** Starts the JobManager with {@code settings} on top of the test cluster's own. */
    static FlinkProcessCluster start(Path dir, Map<String, String> settings) throws IOException {
        return new FlinkProcessCluster(dir, settings);
    }

    URI restEndpoint() {
        return URI.create("http://127.0.0.1:" + restPort);
    }

    /**
     * The TaskManagers' credentials directory ({@code -Dsluice.credentials.dir}), where a test puts
     * the files of the credentials its jobs name ({@code credentials=NAME}).
     */
    Path credentialsDir() throws IOException {
        return Files.createDirectories(dir.resolve("credentials"));
    }

    /** Starts one more TaskManager JVM; returns its index. */
    int startTaskManager() throws IOException {
        int port = FreePort.pick();
        Process process =
                launch(
                        "taskmanager-" + taskManagers.size(),
                        TASK_MANAGER,
                        "-Xmx384m",
                        "-XX:MaxDirectMemorySize=320m",
                        "-Dsluice.credentials.dir=" + credentialsDir(),
                        "-D",
                        "metrics.reporter.prom.port=" + port);
        taskManagers.add(process);
        metricsPorts.add(port);
        return taskManagers.size() - 1;
    }

    /** The port of a TaskManager's Prometheus endpoint. */
    int metricsPort(int taskManager) {
        return metricsPorts.get(taskManager);
    }

    /**
     * Waits until {@code count} TaskManagers are registered, failing at once if a process that
     * should run has exited (a bad setting ends a JVM in seconds; the timeout would hide why).
     */
    void awaitTaskManagers(int count, Duration timeout) throws Exception {
        FlinkRest rest = new FlinkRest(restEndpoint());
        FlinkRest.await(
                count + " TaskManagers registered",
                timeout,
                () -> {
                    if (!jobManager.isAlive()) {
                        throw new IllegalStateException("the JobManager exited");
                    }
                    for (int i = 0; i < taskManagers.size(); i++) {
                        if (!killed.contains(i) && !taskManagers.get(i).isAlive()) {
                            throw new IllegalStateException("TaskManager " + i + " exited");
                        }
                    }
                    try {
                        return rest.taskManagers() == count;
                    } catch (IOException e) {
                        return false; // the JobManager is not listening yet
                    }
                });
    }

    /** Ends a TaskManager as a crash would: SIGKILL, no shutdown hooks, no goodbye to the JM. */
    void killTaskManager(int taskManager) throws InterruptedException {
        Process process = taskManagers.get(taskManager);
        killed.add(taskManager);
        process.destroyForcibly();
        process.waitFor();
    }

    private Process launch(String name, String mainClass, String... jvmAndArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JDK_OPENS);
        List<String> programArgs = new ArrayList<>();
        boolean program = false;
        for (String arg : jvmAndArgs) {
            // "-D" followed by a setting is a Flink dynamic property, after the main class.
            program |= arg.equals("-D");
            (program ? programArgs : command).add(arg);
        }
        command.add("-Dlog.file=" + dir.resolve("log").resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.add("--configDir");
        command.add(conf.toString());
        command.addAll(programArgs);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").resolve(name + ".out").toFile())
                .start();
    }

    /** The last lines of every process's log, for a failure message. */
    String logTails() {
        StringBuilder tails = new StringBuilder();
        try (Stream<Path> logs = Files.list(dir.resolve("log"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                tails.append("==> ").append(log.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(l -> tails.append(l).append('\n'));
            }
        } catch (IOException e) {
            tails.append("(logs unreadable: ").append(e).append(")\n");
        }
        return tails.toString();
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> all = new ArrayList<>(taskManagers);
        all.add(jobManager);
        for (Process process : all) {
            process.destroy();
        }
        for (Process process : all) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
