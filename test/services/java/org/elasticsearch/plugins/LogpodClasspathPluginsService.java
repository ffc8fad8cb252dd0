/*
 * logpod test harness: a PluginsService that adds plugins found on the JVM
 * classpath (here Netty4Plugin, for HTTP and transport) to those the loader
 * found. It lives in this package only to reach package-private constructors.
 */
package org.elasticsearch.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.elasticsearch.common.settings.Settings;

public class LogpodClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> all;

    public LogpodClasspathPluginsService(
        Settings settings,
        Path configPath,
        PluginsLoader loader,
        List<Class<? extends Plugin>> classpathPlugins
    ) {
        super(settings, configPath, loader);
        List<LoadedPlugin> list = new ArrayList<>(super.plugins());
        for (Class<? extends Plugin> type : classpathPlugins) {
            PluginDescriptor descriptor = new PluginDescriptor(
                type.getName(),
                "classpath plugin for logpod tests",
                "NA",
                org.elasticsearch.Version.CURRENT.toString(),
                Integer.toString(Runtime.version().feature()),
                type.getName(),
                null,
                List.of(),
                false,
                false,
                false,
                false
            );
            Plugin instance = loadPlugin(type, settings, configPath);
            list.add(new LoadedPlugin(descriptor, instance, type.getClassLoader()));
        }
        all = List.copyOf(list);
    }

    /** A loader with no modules and no plugins: everything comes from the classpath. */
    public static PluginsLoader emptyLoader() {
        return new PluginsLoader(Set.of(), Set.of(), Map.of());
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return all;
    }
}
