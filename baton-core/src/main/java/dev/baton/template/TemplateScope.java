package dev.baton.template;

import static java.util.Objects.requireNonNull;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.fn.MacroFunction;

/**
 * The top-level scope of one rendered file. A {@code {% macro %}} defined in it becomes a
 * {@link DbtMacro}, so {@code return()} works in macros of any file.
 */
final class TemplateScope extends Context {
    private final String file;

    TemplateScope(Context parent, String file) {
        super(parent);
        this.file = requireNonNull(file, "file is null");
    }

    @Override
    public void addGlobalMacro(MacroFunction macro) {
        super.addGlobalMacro(macro instanceof DbtMacro ? macro : new DbtMacro(macro, file));
    }
}
