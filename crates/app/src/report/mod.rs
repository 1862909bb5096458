//! The data behind the HTML report: every chart's series, assembled from the app's results.
