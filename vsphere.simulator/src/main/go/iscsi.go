package main

/*
#cgo LDFLAGS: -liscsi
#include <stdlib.h>
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>

// the designator list is a C linked list; these helpers keep the pointer walking on the C side
static struct scsi_inquiry_device_designator *first_designator(void *p) {
	return ((struct scsi_inquiry_device_identification *) p)->designators;
}
static int reportluns_num(void *p) { return ((struct scsi_reportluns_list *) p)->num; }
static int reportluns_lun(void *p, int i) { return ((struct scsi_reportluns_list *) p)->luns[i]; }
static int standard_device_type(void *p) { return ((struct scsi_inquiry_standard *) p)->device_type; }
static const char *standard_vendor(void *p) { return ((struct scsi_inquiry_standard *) p)->vendor_identification; }
static const char *standard_product(void *p) { return ((struct scsi_inquiry_standard *) p)->product_identification; }
*/
import "C"

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"
)

// chap is the CHAP a static target is logged in with; mutual when the target must authenticate itself too.
type chap struct {
	name, secret             string
	mutualName, mutualSecret string
}

// lunInfo is what a login to a target finds for one direct-access LUN.
type lunInfo struct {
	lun       int
	naa       string // hex of the NAA designator (VPD page 0x83), lower case
	blocks    int64
	blockSize int32
	vendor    string
	model     string
}

// prober logs in to one iSCSI target and lists the disks it exposes.
type prober interface {
	probe(initiator, portal, target string, auth *chap) ([]lunInfo, error)
}

type libiscsiProber struct{}

func newLibiscsiProber() prober { return libiscsiProber{} }

// probe logs in with libiscsi (the same library QEMU and libvirt's iscsi-direct pool use), reports the LUNs,
// and for each direct-access LUN reads its NAA device id and its capacity; then logs out.
func (libiscsiProber) probe(initiator, portal, target string, auth *chap) ([]lunInfo, error) {
	cInitiator := C.CString(initiator)
	defer C.free(unsafe.Pointer(cInitiator))
	ctx := C.iscsi_create_context(cInitiator)
	if ctx == nil {
		return nil, errors.New("libiscsi: cannot create a context")
	}
	defer C.iscsi_destroy_context(ctx)
	cTarget := C.CString(target)
	defer C.free(unsafe.Pointer(cTarget))
	C.iscsi_set_targetname(ctx, cTarget)
	C.iscsi_set_session_type(ctx, C.ISCSI_SESSION_NORMAL)
	C.iscsi_set_header_digest(ctx, C.ISCSI_HEADER_DIGEST_NONE)
	if auth != nil {
		user, secret := C.CString(auth.name), C.CString(auth.secret)
		defer C.free(unsafe.Pointer(user))
		defer C.free(unsafe.Pointer(secret))
		if C.iscsi_set_initiator_username_pwd(ctx, user, secret) != 0 {
			return nil, lastError(ctx, "CHAP")
		}
		if auth.mutualName != "" {
			mUser, mSecret := C.CString(auth.mutualName), C.CString(auth.mutualSecret)
			defer C.free(unsafe.Pointer(mUser))
			defer C.free(unsafe.Pointer(mSecret))
			if C.iscsi_set_target_username_pwd(ctx, mUser, mSecret) != 0 {
				return nil, lastError(ctx, "mutual CHAP")
			}
		}
	}
	cPortal := C.CString(portal)
	defer C.free(unsafe.Pointer(cPortal))
	if C.iscsi_full_connect_sync(ctx, cPortal, 0) != 0 {
		return nil, lastError(ctx, "login to "+target+" at "+portal)
	}
	defer C.iscsi_logout_sync(ctx)

	luns, err := reportLuns(ctx)
	if err != nil {
		return nil, err
	}
	var found []lunInfo
	for _, lun := range luns {
		info, disk, err := inspect(ctx, lun)
		if err != nil {
			return nil, err
		}
		if disk {
			found = append(found, info)
		}
	}
	return found, nil
}

func reportLuns(ctx *C.struct_iscsi_context) ([]int, error) {
	task := C.iscsi_reportluns_sync(ctx, 0, 16384)
	if task == nil || task.status != C.SCSI_STATUS_GOOD {
		freeTask(task)
		return nil, lastError(ctx, "REPORT LUNS")
	}
	defer freeTask(task)
	list := C.scsi_datain_unmarshall(task)
	if list == nil {
		return nil, errors.New("REPORT LUNS: unreadable reply")
	}
	n := int(C.reportluns_num(list))
	luns := make([]int, 0, n)
	for i := 0; i < n; i++ {
		luns = append(luns, int(C.reportluns_lun(list, C.int(i))))
	}
	return luns, nil
}

// inspect reads one LUN's standard INQUIRY; for a direct-access device also its device identification page and
// its capacity. The bool says whether the LUN is a disk (tgt's LUN 0 is a controller).
func inspect(ctx *C.struct_iscsi_context, lun int) (lunInfo, bool, error) {
	info := lunInfo{lun: lun}
	task := C.iscsi_inquiry_sync(ctx, C.int(lun), 0, 0, 255)
	if task == nil || task.status != C.SCSI_STATUS_GOOD {
		freeTask(task)
		return info, false, lastError(ctx, fmt.Sprintf("INQUIRY of LUN %d", lun))
	}
	std := C.scsi_datain_unmarshall(task)
	if std == nil {
		freeTask(task)
		return info, false, fmt.Errorf("INQUIRY of LUN %d: unreadable reply", lun)
	}
	kind := int(C.standard_device_type(std))
	info.vendor = strings.TrimSpace(C.GoString(C.standard_vendor(std)))
	info.model = strings.TrimSpace(C.GoString(C.standard_product(std)))
	freeTask(task)
	if kind != C.SCSI_INQUIRY_PERIPHERAL_DEVICE_TYPE_DIRECT_ACCESS {
		return info, false, nil
	}

	task = C.iscsi_inquiry_sync(ctx, C.int(lun), 1, C.SCSI_INQUIRY_PAGECODE_DEVICE_IDENTIFICATION, 255)
	if task == nil || task.status != C.SCSI_STATUS_GOOD {
		freeTask(task)
		return info, false, lastError(ctx, fmt.Sprintf("INQUIRY page 0x83 of LUN %d", lun))
	}
	ident := C.scsi_datain_unmarshall(task)
	if ident != nil {
		for d := C.first_designator(ident); d != nil; d = d.next {
			if d.designator_type == C.SCSI_DESIGNATOR_TYPE_NAA && d.association == C.SCSI_ASSOCIATION_LOGICAL_UNIT {
				raw := C.GoBytes(unsafe.Pointer(d.designator), d.designator_length)
				info.naa = fmt.Sprintf("%x", raw)
				break
			}
		}
	}
	freeTask(task)
	if info.naa == "" {
		return info, false, fmt.Errorf("LUN %d has no NAA device id", lun)
	}

	// the first media command after a login reports UNIT ATTENTION (power on / reset); retry it, as initiators do
	for attempt := 0; attempt < 3; attempt++ {
		task = C.iscsi_readcapacity16_sync(ctx, C.int(lun))
		if task == nil || task.status != C.SCSI_STATUS_CHECK_CONDITION || task.sense.key != C.SCSI_SENSE_UNIT_ATTENTION {
			break
		}
		freeTask(task)
		task = nil
	}
	if task == nil || task.status != C.SCSI_STATUS_GOOD {
		freeTask(task)
		return info, false, lastError(ctx, fmt.Sprintf("READ CAPACITY(16) of LUN %d", lun))
	}
	capacity := (*C.struct_scsi_readcapacity16)(C.scsi_datain_unmarshall(task))
	if capacity == nil {
		freeTask(task)
		return info, false, fmt.Errorf("READ CAPACITY(16) of LUN %d: unreadable reply", lun)
	}
	info.blocks = int64(capacity.returned_lba) + 1
	info.blockSize = int32(capacity.block_length)
	freeTask(task)
	return info, true, nil
}

func freeTask(task *C.struct_scsi_task) {
	if task != nil {
		C.scsi_free_scsi_task(task)
	}
}

func lastError(ctx *C.struct_iscsi_context, what string) error {
	return fmt.Errorf("%s: %s", what, C.GoString(C.iscsi_get_error(ctx)))
}
