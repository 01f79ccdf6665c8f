package dev.baton.server.ui;

import static dev.baton.server.ui.Html.esc;

import java.util.Optional;

/** The sign-in form: one API token. */
final class SignIn {
    private SignIn() {}

    static String page(String next, Optional<String> problem) {
        StringBuilder body = new StringBuilder();
        body.append("<section class=\"signin\"><h1>Sign in</h1>")
                .append("<p>Paste an API token. Create one with <code>baton token create --role viewer</code>")
                .append(" (or <code>operator</code> to start and cancel runs).</p>");
        problem.ifPresent(text -> body.append("<p class=\"problem\" id=\"problem\">").append(esc(text)).append("</p>"));
        body.append("<form method=\"post\" action=\"/sign-in\">")
                .append("<label for=\"token\">Token</label><input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required>");
        if (next != null) {
            body.append("<input type=\"hidden\" name=\"next\" value=\"").append(esc(next)).append("\">");
        }
        body.append("<button id=\"sign-in\" type=\"submit\">Sign in</button></form></section>");
        return Layout.page(Optional.empty(), "", "Sign in", body.toString());
    }
}
