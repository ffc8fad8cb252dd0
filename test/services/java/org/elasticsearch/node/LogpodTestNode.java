/*
 * logpod test harness: starts one Elasticsearch node from jars on the classpath
 * (no distribution, no security), with Netty4 as a classpath plugin. Settings
 * come from <home>/config/elasticsearch.yml; SIGTERM closes the node cleanly.
 * It sits in this package to reach the package-private NodeConstruction API.
 */
package org.elasticsearch.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.LogpodClasspathPluginsService;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;
import org.elasticsearch.transport.netty4.Netty4Plugin;
import org.logpod.testes.RootInfoPlugin;

public final class LogpodTestNode extends Node {

    private LogpodTestNode(Environment environment, PluginsLoader loader) {
        super(NodeConstruction.prepareConstruction(environment, loader, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, PluginsLoader pluginsLoader) {
                return new LogpodClasspathPluginsService(
                    env.settings(),
                    env.configDir(),
                    pluginsLoader,
                    List.of(Netty4Plugin.class, RootInfoPlugin.class)
                );
            }
        }, true));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LogpodTestNode <es-home>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Settings input = Settings.builder().put("path.home", home.toString()).build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            input,
            Map.of(),
            home.resolve("config"),
            () -> "logpod-es"
        );
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(environment.settings()));
        LogConfigurator.configure(environment, false);
        PluginsLoader loader = LogpodClasspathPluginsService.emptyLoader();
        Node node = new LogpodTestNode(environment, loader);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "logpod-es-shutdown"));
        try {
            node.start();
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.out.println("logpod-es: node started");
        closed.await();
    }
}
