"""The data shipped with the application: town and module content, message catalogs, the
film manifest.  A package of its own so that every install (a wheel, a bundle, a checkout)
carries it; code finds it through :mod:`co_app.core.foundation.resources`, never through the source tree."""
