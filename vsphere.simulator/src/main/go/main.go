// Command spindle-vcsim serves a vCenter inventory (govmomi's simulator library) in which every host has a
// software iSCSI adapter that logs in to real iSCSI targets, and VMFS datastores can be made on the LUNs it finds.
//
// It prints one line when it is ready:
//
//	spindle-vcsim started url=https://127.0.0.1:PORT/sdk sha256=AB:CD:… datacenter=DC0 cluster=DC0_C0 hosts=3
//
// and serves until it receives SIGINT or SIGTERM. The password is read from the environment variable
// SPINDLE_VCSIM_PASSWORD (so that it never shows in a process list).
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	flags := flag.NewFlagSet("spindle-vcsim", flag.ContinueOnError)
	listen := flags.String("listen", "127.0.0.1:0", "address to listen on (port 0: any free port)")
	user := flags.String("user", "administrator@vsphere.local", "the one user name Login accepts")
	hosts := flags.Int("cluster-hosts", 3, "hosts in the cluster (1-64)")
	standalone := flags.Int("standalone-hosts", 0, "standalone hosts besides the cluster (0-8)")
	vms := flags.Int("vms", 2, "virtual machines per resource pool (0-4096)")
	dir := flags.String("dir", "", "directory for the VMFS datastores' files (required)")
	iqnPrefix := flags.String("initiator-prefix", "iqn.1998-01.com.vmware:spindle-vcsim", "prefix of each host's initiator IQN")
	perfInterval := flags.Int("perf-interval", 20, "seconds of one real-time performance sample (vSphere: 20; 1-300)")
	control := flags.String("control", "", "loopback address of the test control of faults (holds, lost replies; empty: none)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	password := os.Getenv("SPINDLE_VCSIM_PASSWORD")
	switch {
	case password == "":
		return usage(flags, "SPINDLE_VCSIM_PASSWORD must be set (the password Login accepts)")
	case *hosts < 1 || *hosts > 64:
		return usage(flags, "-cluster-hosts must be 1 to 64")
	case *standalone < 0 || *standalone > 8:
		return usage(flags, "-standalone-hosts must be 0 to 8")
	case *vms < 0 || *vms > 4096:
		return usage(flags, "-vms must be 0 to 4096")
	case *dir == "":
		return usage(flags, "-dir is required")
	case *perfInterval < 1 || *perfInterval > 300:
		return usage(flags, "-perf-interval must be 1 to 300 seconds")
	case *user == "":
		return usage(flags, "-user must not be empty")
	}
	if _, _, err := net.SplitHostPort(*listen); err != nil {
		return usage(flags, "-listen must be host:port: "+err.Error())
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "spindle-vcsim: cannot create -dir:", err)
		return 1
	}

	sim, err := start(options{listen: *listen, user: *user, password: password, clusterHosts: *hosts,
		standaloneHosts: *standalone, vms: *vms, dir: *dir, iqnPrefix: *iqnPrefix,
		perfInterval: time.Duration(*perfInterval) * time.Second, control: *control}, newLibiscsiProber())
	if err != nil {
		fmt.Fprintln(os.Stderr, "spindle-vcsim:", err)
		return 1
	}
	defer sim.stop()
	controlled := ""
	if sim.control != "" {
		controlled = " control=" + sim.control
	}
	fmt.Printf("spindle-vcsim started url=%s sha256=%s datacenter=DC0 cluster=DC0_C0 hosts=%d%s\n",
		sim.url, sim.fingerprint, *hosts, controlled)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
	return 0
}

type options struct {
	listen, user, password             string
	clusterHosts, standaloneHosts, vms int
	dir, iqnPrefix                     string
	perfInterval                       time.Duration // 0: vSphere's 20 s
	control                            string        // loopback address of the faults' control; "": no faults
}

// simulation is a running simulator: its URL (without credentials) and certificate fingerprint, and the URL of
// its faults' control ("" without one).
type simulation struct {
	url         string
	control     string
	fingerprint string
	certificate []byte
	stop        func()
}

// start creates the inventory (one datacenter DC0, one cluster DC0_C0 of clusterHosts hosts, the library's VMs
// and local datastore), extends every host with a software iSCSI adapter and VMFS, and serves it over TLS.
func start(o options, p prober) (*simulation, error) {
	model := simulator.VPX()
	model.Cluster = 1
	model.ClusterHost = o.clusterHosts
	model.Host = o.standaloneHosts
	model.Machine = o.vms
	model.Autostart = true
	if err := model.Create(); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	cert, fingerprint, err := selfSigned()
	der := cert.Certificate[0]
	if err != nil {
		model.Remove()
		return nil, fmt.Errorf("certificate: %w", err)
	}
	model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	model.Service.Listen = &url.URL{Host: o.listen, User: url.UserPassword(o.user, o.password)}
	w := newWorld(o.dir, o.iqnPrefix, p)
	w.install()
	if o.perfInterval == 0 {
		o.perfInterval = 20 * time.Second
	}
	perf := installPerf(w, o.perfInterval)
	stopPerf := make(chan struct{})
	go perf.run(stopPerf)
	server := model.Service.NewServer()
	// set before the URL is known to anyone, so before any request reads it
	stopControl, control := func() {}, ""
	if o.control != "" {
		f := newFaults()
		server.Config.Handler = f.wrap(server.Config.Handler)
		if control, stopControl, err = f.serveControl(o.control); err != nil {
			close(stopPerf)
			server.Close()
			model.Remove()
			return nil, fmt.Errorf("control: %w", err)
		}
	}
	u := *server.URL
	u.User = nil
	return &simulation{url: u.String(), control: control, fingerprint: fingerprint, certificate: der, stop: func() {
		close(stopPerf)
		stopControl()
		server.Close()
		model.Remove()
	}}, nil
}

func usage(flags *flag.FlagSet, msg string) int {
	fmt.Fprintln(os.Stderr, "spindle-vcsim:", msg)
	flags.Usage()
	return 2
}

// selfSigned makes a fresh key and certificate for 127.0.0.1/localhost, and its SHA-256 fingerprint in the
// colon-separated form clients pin.
func selfSigned() (tls.Certificate, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return tls.Certificate{}, "", err
	}
	template := x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "spindle-vcsim"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, &template, &template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	sum := sha256.Sum256(der)
	hex := make([]string, len(sum))
	for i, b := range sum {
		hex[i] = fmt.Sprintf("%02X", b)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, strings.Join(hex, ":"), nil
}
