package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"sync"
)

// faults stands between the SOAP server and its clients so that a test can make a vSphere method misbehave the way a
// crash test needs: hold a call before it acts (the client waits; the effect has not happened), hold its reply after
// it acted (the effect is there; the client has not heard of it), or lose its reply (acted, then the connection is
// cut). A test sees that a call has arrived and how many calls of each method were made and finished; it releases a
// held call either to go on or, before it acted, to be dropped without acting. Driven over plain HTTP on a loopback
// address (-control): see serveControl.
type faults struct {
	mu    sync.Mutex
	calls map[string]int   // SOAP calls that arrived, by method
	done  map[string]int   // SOAP calls that ended (answered, lost or dropped), by method
	holds map[string]*hold // armed holds, by method
	lose  map[string]int   // replies still to lose, by method
	held  []*heldCall
	next  int
}

// hold is an armed hold of one call of a method: the first after skip calls, before it acts or after.
type hold struct {
	Method string `json:"method"`
	Phase  string `json:"phase"`
	Skip   int    `json:"skip"`
}

// heldCall is a call waiting to be released; true on release lets it go on, false drops it (before it acted only).
type heldCall struct {
	ID      int    `json:"id"`
	Method  string `json:"method"`
	This    string `json:"this"`
	Phase   string `json:"phase"`
	release chan bool
}

const (
	phaseBefore = "before"
	phaseAfter  = "after"
)

func newFaults() *faults {
	return &faults{calls: map[string]int{}, done: map[string]int{}, holds: map[string]*hold{}, lose: map[string]int{}}
}

// soapCall reads the method (the first element in the SOAP body) and its _this reference from a request body.
func soapCall(body []byte) (method, this string) {
	d := xml.NewDecoder(bytes.NewReader(body))
	inBody, inThis := false, false
	for {
		tok, err := d.Token()
		if err != nil {
			return method, this
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !inBody && t.Name.Local == "Body":
				inBody = true
			case inBody && method == "":
				method = t.Name.Local
			case method != "" && t.Name.Local == "_this":
				inThis = true
			}
		case xml.CharData:
			if inThis {
				this += string(t)
			}
		case xml.EndElement:
			if inThis {
				return method, this
			}
		}
	}
}

// wrap puts the faults in front of the SOAP handler.
func (f *faults) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		method, this := soapCall(body)
		if method == "" {
			next.ServeHTTP(w, r)
			return
		}
		h, lose := f.arrive(method)
		defer f.finish(method)
		if h != nil && h.Phase == phaseBefore && !f.wait(method, this, phaseBefore) {
			panic(http.ErrAbortHandler) // dropped before it acted: the client sees its connection cut
		}
		if (h == nil || h.Phase != phaseAfter) && !lose {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if h != nil && h.Phase == phaseAfter {
			f.wait(method, this, phaseAfter)
		}
		if lose {
			panic(http.ErrAbortHandler) // acted, and the reply is lost
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// arrive counts a call and says whether it is held (and how) or its reply lost; an armed hold takes one call.
func (f *faults) arrive(method string) (*hold, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[method]++
	var matched *hold
	if h, ok := f.holds[method]; ok {
		if h.Skip > 0 {
			h.Skip--
		} else {
			matched = h
			delete(f.holds, method)
		}
	}
	lose := false
	if f.lose[method] > 0 {
		f.lose[method]--
		lose = true
	}
	return matched, lose
}

func (f *faults) finish(method string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done[method]++
}

// wait blocks the call until it is released; true: go on, false: drop it.
func (f *faults) wait(method, this, phase string) bool {
	f.mu.Lock()
	f.next++
	c := &heldCall{ID: f.next, Method: method, This: this, Phase: phase, release: make(chan bool, 1)}
	f.held = append(f.held, c)
	f.mu.Unlock()
	return <-c.release
}

func (f *faults) arm(h hold) error {
	if h.Method == "" {
		return fmt.Errorf("method is required")
	}
	if h.Phase != phaseBefore && h.Phase != phaseAfter {
		return fmt.Errorf("phase must be before or after (was %q)", h.Phase)
	}
	if h.Skip < 0 {
		return fmt.Errorf("skip must be 0 or more (was %d)", h.Skip)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.holds[h.Method] = &h
	return nil
}

func (f *faults) loseReplies(method string, count int) error {
	if method == "" || count < 1 {
		return fmt.Errorf("method is required and count must be 1 or more")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lose[method] += count
	return nil
}

// release lets the held calls of a method (every method when empty) go on, or drops them; a call held after it
// acted always goes on (only its reply was held). Returns how many were released.
func (f *faults) release(method string, drop bool) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var keep []*heldCall
	n := 0
	for _, c := range f.held {
		if method != "" && c.Method != method {
			keep = append(keep, c)
			continue
		}
		c.release <- !(drop && c.Phase == phaseBefore)
		n++
	}
	f.held = keep
	return n
}

// clear disarms everything and lets every held call go on.
func (f *faults) clear() int {
	f.mu.Lock()
	f.holds = map[string]*hold{}
	f.lose = map[string]int{}
	f.mu.Unlock()
	return f.release("", false)
}

// status is what the control endpoint reports: calls arrived and ended by method, the calls held now, the holds
// and lost replies still armed.
type status struct {
	Calls map[string]int `json:"calls"`
	Done  map[string]int `json:"done"`
	Held  []heldCall     `json:"held"`
	Holds []hold         `json:"holds"`
	Lose  map[string]int `json:"lose"`
}

func (f *faults) status() status {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := status{Calls: map[string]int{}, Done: map[string]int{}, Held: []heldCall{}, Holds: []hold{}, Lose: map[string]int{}}
	for k, v := range f.calls {
		s.Calls[k] = v
	}
	for k, v := range f.done {
		s.Done[k] = v
	}
	for _, c := range f.held {
		s.Held = append(s.Held, *c)
	}
	for _, h := range f.holds {
		s.Holds = append(s.Holds, *h)
	}
	sort.Slice(s.Holds, func(i, j int) bool { return s.Holds[i].Method < s.Holds[j].Method })
	for k, v := range f.lose {
		s.Lose[k] = v
	}
	return s
}

// serveControl serves the faults over plain HTTP on a loopback address (a test control: refused on any other):
//
//	GET  /faults                                     the status (JSON)
//	POST /faults/hold?method=M&phase=before|after[&skip=N]   hold the first call of M after N more
//	POST /faults/lose?method=M[&count=N]             act, then cut the connection instead of replying, N times
//	POST /faults/release[?method=M][&drop=true]      release the held calls (of M); drop: those held before acting
//	                                                 end without acting
//	POST /faults/clear                               disarm everything, release every held call to go on
func (f *faults) serveControl(listen string) (string, func(), error) {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return "", nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return "", nil, fmt.Errorf("-control must be a loopback address such as 127.0.0.1:0 (was %s)", listen)
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/faults", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(f.status())
	})
	post := func(path string, act func(r *http.Request) (int, error)) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost {
				http.Error(w, "POST only", http.StatusMethodNotAllowed)
				return
			}
			n, err := act(r)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, "{\"count\":%d}\n", n)
		})
	}
	post("/faults/hold", func(r *http.Request) (int, error) {
		skip, err := intParam(r, "skip", 0)
		if err != nil {
			return 0, err
		}
		return 1, f.arm(hold{Method: r.URL.Query().Get("method"), Phase: r.URL.Query().Get("phase"), Skip: skip})
	})
	post("/faults/lose", func(r *http.Request) (int, error) {
		count, err := intParam(r, "count", 1)
		if err != nil {
			return 0, err
		}
		return count, f.loseReplies(r.URL.Query().Get("method"), count)
	})
	post("/faults/release", func(r *http.Request) (int, error) {
		return f.release(r.URL.Query().Get("method"), r.URL.Query().Get("drop") == "true"), nil
	})
	post("/faults/clear", func(r *http.Request) (int, error) { return f.clear(), nil })
	server := &http.Server{Handler: mux}
	go func() { _ = server.Serve(l) }()
	return "http://" + l.Addr().String(), func() { _ = server.Close() }, nil
}

func intParam(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s must be a number (was %q)", name, v)
	}
	return n, nil
}
