// Package production runs the local version of docs/production.md's topology (make
// ch04-production), from the configs in ch04-jaeger/production/, and holds its end-to-end tests:
// the services send every span to a collector tier (the Jaeger binary as a
// plain OpenTelemetry Collector, collector.yaml) that keeps every failing and every slow trace
// and 10% of the rest (tail sampling), and forwards them to a storage/query Jaeger on Badger
// (storage.yaml), whose traces survive a restart. The tests are behind the e2e build tag.
package production
